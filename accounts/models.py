"""Staff users, the roles they hold and the teams they belong to."""

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
class User(AbstractBaseUser, PermissionsMixin):
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
