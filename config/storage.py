"""Static files storage: hashed, compressed names that also rewrite ES module imports."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ConveneStaticFilesStorage(CompressedManifestStaticFilesStorage):
    # convene.mjs imports GOV.UK Frontend by relative path; the hashed name must follow it.
    support_js_module_import_aggregation = True
