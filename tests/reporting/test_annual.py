"""The annual report: narrative kept as text, the work programme, generation by a real worker
with progress, every PDF kept, and who may make and download it."""

import shutil
import subprocess
import time
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role
from conferences.choices import Stage
from reporting.annual import narrative
from reporting.annual import services as annual_services
from reporting.annual.models import GenerationStatus, ReportGeneration, WorkAction
from reporting.figures import Scope, figure
from rules.periods import Period
from tests.factories import ChildFactory, PlanFactory, UserFactory, at, make_conference

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
HOSTILE = (
    '<img src="file:///etc/passwd"> <link href="http://169.254.169.254/"> '
    "<style>body { background: url(http://169.254.169.254/x) }</style>"
)


def _pdf_text(content: bytes, tmp_path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    # Poppler's pdftotext reads the PDF as a reader would (scripts/ensure-test-tools.sh).
    return subprocess.run(  # noqa: S603 - our own file, a fixed command
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _author(**extra):
    user = UserFactory(roles=[Role.MANAGER], **extra)
    user.user_permissions.add(Permission.objects.get(codename="generate_annual_report"))
    return user


def test_narrative_is_text_paragraphs_and_bullets():
    html = narrative.to_html(f"First line\nsame paragraph\n\n- one\n- two\n\n{HOSTILE}")
    assert html.startswith("<p>First line<br>same paragraph</p>")
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert "<img" not in html
    assert "<link" not in html
    assert "<style" not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


@pytest.mark.django_db
def test_a_report_renders_the_summary_programme_and_appendix_and_keeps_hostile_text_as_text(
    tmp_path, iro
):
    child = ChildFactory(is_restricted=True)  # counted, whoever makes the report
    PlanFactory(child=child, started_on=date(2014, 5, 1), categories=["EMO"])
    make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(date(2014, 5, 1)),
        status="held",
    )
    author = _author()
    report = annual_services.create_report(actor=author, year=2014)
    annual_services.save_narrative(
        actor=author,
        report=report,
        expected_version=report.version,
        strengths="- Reviews held on time\n- Families involved",
        introduction=HOSTILE,
    )
    annual_services.add_action(
        actor=author,
        report=report,
        details=annual_services.WorkActionDetails(
            for_next_year=True,
            action="Review the CUSAB procedures",
            who="IRO service and LSCB",
            when="November 2015",
            rag="",
            commentary="",
        ),
    )
    generation = annual_services.request_generation(actor=author, report=report)
    annual_services.generate(generation.pk)
    generation.refresh_from_db()
    assert (generation.status, generation.progress) == (GenerationStatus.DONE, 100)
    text = _pdf_text(bytes(generation.pdf.content), tmp_path)
    assert "Reviews held on time" in text
    assert "Review the CUSAB procedures" in text
    assert 'img src="file:///etc/passwd"' in text  # shown, not fetched
    assert "169.254.169.254" in text
    appendix = text[text.index("Appendix 3: tables of figures", text.index("Appendix 2")) :]
    table3 = figure("category").table(Scope(Period(2014)))
    assert table3.cell("EMO", "q1") == 1
    emotional = next(line for line in appendix.splitlines() if line.strip().startswith("Emotional"))
    assert emotional.split()[1:] == ["1", "1", "1", "1", "1"]


@pytest.mark.django_db
def test_a_year_with_no_data_says_so(tmp_path):
    author = _author()
    report = annual_services.create_report(actor=author, year=2030)
    generation = annual_services.request_generation(actor=author, report=report)
    annual_services.generate(generation.pk)
    generation.refresh_from_db()
    text = _pdf_text(bytes(generation.pdf.content), tmp_path)
    assert "Not written yet" in text
    assert "No actions entered" in text
    assert "There are no records for this year" in " ".join(text.split())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_generations_at_once_both_complete_with_progress_on_a_real_worker(
    celery_worker, client
):
    author = _author()
    report = annual_services.create_report(actor=author, year=2014)
    client.force_login(author)
    pages = [client.post(reverse("reporting:generate", args=[report.pk])) for _ in range(2)]
    made = list(ReportGeneration.objects.order_by("pk"))
    assert [page["Location"] for page in pages] == [
        reverse("reporting:generation", args=[m.pk]) for m in made
    ]
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        states = [
            client.get(reverse("reporting:generation_status", args=[m.pk])).json() for m in made
        ]
        seen |= {state["progress"] for state in states}
        if all(state["status"] == "done" for state in states):
            break
        time.sleep(0.2)
    assert [state["progress"] for state in states] == [100, 100]
    assert len(seen) > 2  # the bar moved through steps, not straight to the end
    first, second = (client.get(state["download_url"]) for state in states)
    assert first.content.startswith(b"%PDF")
    assert second.content.startswith(b"%PDF")
    assert ReportGeneration.objects.filter(pdf__isnull=False).count() == 2  # both kept


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_only_managers_download_and_only_with_the_permission_generate(client, role):
    author = _author()
    report = annual_services.create_report(actor=author, year=2014)
    generation = annual_services.request_generation(actor=author, report=report)
    annual_services.generate(generation.pk)
    client.force_login(UserFactory(roles=[role]))
    download = client.get(reverse("reporting:generation_pdf", args=[generation.pk]))
    assert download.status_code == (200 if role == Role.MANAGER else 403)
    generate = client.post(reverse("reporting:generate", args=[report.pk]))
    assert generate.status_code == 403  # no one here holds the report permission
    assert ReportGeneration.objects.count() == 1


@pytest.mark.django_db
def test_narrative_edits_do_not_overwrite_each_other(client):
    author = _author()
    report = annual_services.create_report(actor=author, year=2014)
    client.force_login(author)
    url = reverse("reporting:annual_report", args=[report.pk])
    first = client.post(url, {"version": report.version, "strengths": "First"})
    second = client.post(url, {"version": report.version, "strengths": "Second"})
    assert (first.status_code, second.status_code) == (302, 409)
    report.refresh_from_db()
    assert report.strengths == "First"


@pytest.mark.django_db
def test_a_work_programme_action_needs_its_fields_and_can_be_removed(client):
    author = _author()
    report = annual_services.create_report(actor=author, year=2014)
    client.force_login(author)
    add = reverse("reporting:action_add", args=[report.pk])
    missing = client.post(add, {"for_next_year": "False"})
    assert missing.status_code == 200
    assert "Describe the action" in missing.content.decode()
    assert WorkAction.objects.count() == 0
    data = {"for_next_year": "False", "action": "Audit", "who": "IRO manager", "when": "June"}
    client.post(add, {**data, "rag": "G"})
    action = WorkAction.objects.get()
    assert (action.rag, action.for_next_year) == ("G", False)
    client.post(reverse("reporting:action_remove", args=[report.pk, action.pk]))
    assert WorkAction.objects.count() == 0


@pytest.mark.django_db
def test_a_task_for_a_generation_that_does_not_exist_does_nothing():
    annual_services.generate(987654)  # a stale message from another database: no error
    assert ReportGeneration.objects.count() == 0


@pytest.mark.django_db
def test_removing_an_action_has_its_own_address_and_the_change_form_only_saves(client):
    author = _author()
    report = annual_services.create_report(actor=author, year=2014)
    client.force_login(author)
    action = annual_services.add_action(
        actor=author,
        report=report,
        details=annual_services.WorkActionDetails(
            for_next_year=False,
            action="Audit",
            who="IRO manager",
            when="June",
            rag="G",
            commentary="",
        ),
    )
    edit = reverse("reporting:action_edit", args=[report.pk, action.pk])
    remove = reverse("reporting:action_remove", args=[report.pk, action.pk])

    assert f'formaction="{remove}"' in client.get(edit).content.decode()
    assert 'name="remove"' not in client.get(edit).content.decode()
    client.post(edit, {"remove": "1"})
    assert WorkAction.objects.filter(pk=action.pk).exists()
    assert client.get(remove).status_code == 405
    assert client.post(remove)["Location"] == reverse("reporting:annual_report", args=[report.pk])
    assert not WorkAction.objects.filter(pk=action.pk).exists()
