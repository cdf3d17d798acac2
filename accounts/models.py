"""Staff users, the roles they hold and the teams they belong to."""

import pgtrigger
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from config.audit import audited
from config.concurrency import Versioned


class Role(models.TextChoices):
    IRO = "iro", "Independent Reviewing Officer"
    CLERK = "clerk", "Conference clerk"
    MANAGER = "manager", "Manager"
    ADVOCATE = "advocate", "Advocate"
    ADMINISTRATOR = "administrator", "Administrator"


@audited()
class Team(Versioned):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        # The first administrator, from the command line. Not a Django superuser: that flag would
        # hold every named permission (the statutory returns among them) with no one's approval.
        fields.setdefault("roles", [Role.ADMINISTRATOR])
        return self.create_user(email, password, **fields)


# The password hash never goes into history; last_login changes at every sign-in and is recorded
# by the sign-in log instead, so it would only bloat the audit.
@audited(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin, Versioned):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices), default=list, blank=True
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]


class SecurityEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
    UNLOCKED = "unlocked", "Unlocked by an administrator"
    SIGNED_OUT = "signed_out", "Signed out"
    SESSION_EXPIRED = "session_expired", "Signed out by timeout"
    SECOND_FACTOR_ADDED = "mfa_added", "Authenticator app set up"
    SECOND_FACTOR_REMOVED = "mfa_removed", "Authenticator removed"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "Recovery codes renewed"
    SECOND_FACTOR_RESET = "mfa_reset", "Second factor reset by an administrator"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset by email link"
    ACCOUNT_CREATED = "account_created", "Account created"
    ACCOUNT_CHANGED = "account_changed", "Account details changed"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
    SECOND_FACTOR_FAILED = "mfa_failed", "Wrong authenticator or recovery code"
    SECOND_FACTOR_LOCKED = "mfa_locked", "Locked out after wrong codes"
    SIGN_IN_SLOWED = "sign_in_slowed", "Sign-ins slowed: failures from several addresses"
    GRANT_REQUESTED = "grant_requested", "Roles or permissions asked for: awaiting approval"
    GRANT_APPROVED = "grant_approved", "Roles or permissions granted by a second administrator"
    GRANT_REJECTED = "grant_rejected", "Roles or permissions refused by a second administrator"
    OWN_ACCESS_CHANGE_REFUSED = "own_access_refused", "Refused: tried to change their own access"


# Events an administrator should look at: someone may be guessing, or access is changing.
ALERTING_EVENT_KINDS = frozenset(
    {
        SecurityEventKind.LOCKED_OUT,
        SecurityEventKind.SECOND_FACTOR_LOCKED,
        SecurityEventKind.SIGN_IN_SLOWED,
        SecurityEventKind.SECOND_FACTOR_RESET,
        SecurityEventKind.GRANT_REQUESTED,
        SecurityEventKind.GRANT_APPROVED,
        SecurityEventKind.GRANT_REJECTED,
        SecurityEventKind.OWN_ACCESS_CHANGE_REFUSED,
    }
)


# Security events are evidence: once written they are never changed or removed, which the
# database enforces as well as the audit.
@audited()
class SecurityEvent(models.Model):
    kind = models.CharField(max_length=30, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="security_events"
    )
    attempted_email = models.CharField(
        max_length=254, blank=True, help_text="What was typed, for a sign-in to no account."
    )
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        triggers = [
            pgtrigger.Protect(
                name="security_events_are_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def is_alert(self) -> bool:
        return self.kind in ALERTING_EVENT_KINDS


class NamedPermission(models.TextChoices):
    """The permissions an administrator may give a manager, beyond what the role allows."""

    ANNUAL_REPORT = "generate_annual_report", "May make the annual report PDF"
    STATUTORY_RETURNS = (
        "export_statutory_returns",
        "May export the children in need census and Ofsted lists",
    )


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    REPLACED = "replaced", "Replaced by a later request"


# Giving anyone a role or a named permission takes two administrators: one asks, another
# decides. Nobody asks for or decides their own; the database refuses it as well as the service.
@audited()
class GrantRequest(models.Model):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grant_requests")
    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices), default=list, blank=True
    )
    permissions = ArrayField(
        models.CharField(max_length=50, choices=NamedPermission.choices), default=list, blank=True
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default="pending")
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="grant_not_requested_for_oneself",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "rejected"])
                | (
                    models.Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~models.Q(decided_by=models.F("requested_by"))
                    & ~models.Q(decided_by=models.F("user"))
                ),
                name="grant_decided_by_another_administrator",
            ),
            models.CheckConstraint(
                condition=models.Q(roles__len__gt=0) | models.Q(permissions__len__gt=0),
                name="grant_asks_for_something",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_grant_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"Grant request {self.pk} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == GrantStatus.PENDING

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]

    @property
    def permission_labels(self) -> list[str]:
        return [NamedPermission(codename).label for codename in self.permissions]
