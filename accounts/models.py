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
        fields.setdefault("is_superuser", True)
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
