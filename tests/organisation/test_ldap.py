"""企业登录: sign-in through a real OpenLDAP directory (Debian slapd, started here on a loopback port).

The directory holds four people: ``support`` (the demo employee's login name, a directory password of
its own), ``li.na`` (no login yet; HR recorded her e-mail), ``visitor`` (no employee) and ``leaver``
(an employee whose login was deactivated). The settings come from the environment the way a deployment
sets them (runpy over settings.py), so the tests cover the settings section too.
"""

from __future__ import annotations

import os
import runpy
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import ldap
import ldif
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

import aftersales.settings
from aftersales.organisation.ldap import EmployeeLDAPBackend
from aftersales.organisation.models import AccountEvent, Category, Department, Employee, Position

SLAPD = Path("/usr/sbin/slapd")  # Debian's slapd (scripts/system-packages installs it)
SUFFIX = "dc=example,dc=com"
PEOPLE = f"ou=people,{SUFFIX}"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin"
LDAP_BACKEND = "aftersales.organisation.ldap.EmployeeLDAPBackend"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile {home}/slapd.pid
argsfile {home}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {home}/db
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
"""


def _person(uid: str, given: str, family: str, mail: str) -> tuple[str, dict[str, list[bytes]]]:
    """An inetOrgPerson whose directory password is ``<uid>-directory-pw``."""
    attrs = {
        "objectClass": "inetOrgPerson",
        "uid": uid,
        "cn": family + given,
        "givenName": given,
        "sn": family,
        "mail": mail,
        "userPassword": f"{uid}-directory-pw",
    }
    return f"uid={uid},{PEOPLE}", {name: [value.encode()] for name, value in attrs.items()}


DIRECTORY = [
    (SUFFIX, {"objectClass": [b"dcObject", b"organization"], "dc": [b"example"], "o": [b"Example"]}),
    (PEOPLE, {"objectClass": [b"organizationalUnit"], "ou": [b"people"]}),
    _person("support", "伟", "张", "zhang.wei@example.com"),
    _person("li.na", "娜", "李", "Li.Na@Example.com"),
    _person("visitor", "客", "访", "visitor@partner.example"),
    _person("leaver", "走", "已", "leaver@example.com"),
    _person("shared", "享", "共", "service@example.com"),
]


@dataclass(frozen=True)
class Directory:
    uri: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(server: subprocess.Popen[bytes], uri: str, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"slapd exited with {server.returncode}:\n{log.read_text()}")
        try:
            ldap.initialize(uri).simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
            return
        except ldap.SERVER_DOWN:
            time.sleep(0.1)
    pytest.fail(f"slapd did not answer on {uri}:\n{log.read_text()}")


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    """Our own slapd: a slapd.conf and an mdb database in a temp folder, loaded with slapadd."""
    if not SLAPD.exists():  # fail, never skip: CI installs it
        pytest.fail(f"{SLAPD} is missing: run scripts/system-packages (Debian slapd)")
    home = tmp_path_factory.mktemp("slapd")
    (home / "db").mkdir()
    conf = home / "slapd.conf"
    conf.write_text(SLAPD_CONF.format(home=home, suffix=SUFFIX, admin=ADMIN_DN, password=ADMIN_PASSWORD))
    data = home / "people.ldif"
    with data.open("w") as out:
        writer = ldif.LDIFWriter(out)
        for dn, attrs in DIRECTORY:
            writer.unparse(dn, attrs)
    subprocess.run([SLAPD, "-T", "add", "-f", conf, "-l", data], check=True, capture_output=True)
    uri = f"ldap://127.0.0.1:{_free_port()}"
    log = home / "slapd.log"
    with log.open("wb") as err:
        server = subprocess.Popen([SLAPD, "-d", "0", "-f", conf, "-h", uri], stderr=err, stdout=err)
    try:
        _wait_until_up(server, uri, log)
        yield Directory(uri)
    finally:
        server.terminate()
        server.wait(timeout=10)


def settings_from_environment(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    """What settings.py makes of these AFTERSALES_LDAP_* variables: the AUTH_LDAP_* values and backends."""
    for name in [n for n in os.environ if n.startswith("AFTERSALES_LDAP_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(aftersales.settings.__file__)
    return {k: v for k, v in values.items() if k.startswith("AUTH_LDAP_") or k == "AUTHENTICATION_BACKENDS"}


@pytest.fixture
def ldap_on(directory: Directory, monkeypatch: pytest.MonkeyPatch, settings, personas) -> None:
    configured = settings_from_environment(
        monkeypatch,
        AFTERSALES_LDAP_URI=directory.uri,
        AFTERSALES_LDAP_BIND_DN=ADMIN_DN,
        AFTERSALES_LDAP_BIND_PASSWORD=ADMIN_PASSWORD,
        AFTERSALES_LDAP_USER_SEARCH=PEOPLE,
    )
    for name, value in configured.items():
        setattr(settings, name, value)


def employee(number: str, email: str, user: object = None) -> Employee:
    return Employee.objects.create(
        number=number,
        name=number,
        email=email,
        user=user,
        department=Department.objects.get(code="as-tech"),
        position=Position.objects.get(code="tech_support"),
        category=Category.TECH_SUPPORT,
        standard_salary=Decimal("5000"),
        active_from=date(2024, 1, 1),
    )


def sign_in(client, username: str, password: str):
    return client.post(reverse("web:login"), {"username": username, "password": password}, follow=True)


def signed_in_by(client) -> str | None:
    return client.session.get("_auth_user_backend")


# --- settings ---------------------------------------------------------------------------------------


def test_ldap_is_off_without_a_uri(monkeypatch):
    configured = settings_from_environment(monkeypatch)
    assert configured == {"AUTHENTICATION_BACKENDS": ["axes.backends.AxesStandaloneBackend", MODEL_BACKEND]}


def test_ldap_settings_from_the_environment(monkeypatch):
    configured = settings_from_environment(
        monkeypatch,
        AFTERSALES_LDAP_URI="ldap://dc1.corp.example",
        AFTERSALES_LDAP_USER_SEARCH="dc=corp,dc=example",
        AFTERSALES_LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
        AFTERSALES_LDAP_START_TLS="yes",
    )
    backends = configured["AUTHENTICATION_BACKENDS"]
    assert backends == ["axes.backends.AxesStandaloneBackend", LDAP_BACKEND, MODEL_BACKEND]
    search = configured["AUTH_LDAP_USER_SEARCH"]
    assert (search.base_dn, search.filterstr) == ("dc=corp,dc=example", "(sAMAccountName=%(user)s)")
    assert configured["AUTH_LDAP_START_TLS"] is True
    # nothing about groups: roles stay in the app
    assert not [name for name in configured if "GROUP" in name or "FLAGS" in name]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "AFTERSALES_LDAP_USER_SEARCH"),
        (
            {"AFTERSALES_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a.example"},
            "StartTLS",
        ),
    ],
)
def test_ldap_settings_refuse_unsafe_values(monkeypatch, env, message):
    base = {"AFTERSALES_LDAP_URI": "ldap://dc1.corp.example", "DEBUG": "0"}
    if env:
        base["AFTERSALES_LDAP_USER_SEARCH"] = "dc=corp,dc=example"
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_from_environment(monkeypatch, **base, **env)


# --- signing in against the directory -------------------------------------------------------------


def test_directory_password_signs_in_the_existing_login(client, ldap_on):
    user = get_user_model().objects.get(username="support")
    roles_before = set(user.groups.values_list("name", flat=True))
    record = Employee.objects.get(user=user)  # 张伟's employee record
    response = sign_in(client, "support", "support-directory-pw")
    assert response.redirect_chain[-1][0] == reverse("web:home")
    assert response.status_code == 200
    assert signed_in_by(client) == LDAP_BACKEND
    user.refresh_from_db()
    assert Employee.objects.get(user=user).pk == record.pk  # still linked to the same record
    assert (user.first_name, user.last_name, user.email) == ("伟", "张", "zhang.wei@example.com")
    assert set(user.groups.values_list("name", flat=True)) == roles_before  # LDAP grants no roles


def test_wrong_password_is_refused(client, ldap_on):
    response = sign_in(client, "support", "not-the-password")
    assert response.redirect_chain == []
    assert signed_in_by(client) is None


def test_email_match_attaches_the_employee(client, ldap_on):
    lina = employee("L001", email="li.na@example.com")
    response = sign_in(client, "li.na", "li.na-directory-pw")
    assert response.redirect_chain[-1][0] == reverse("web:home")
    lina.refresh_from_db()
    assert lina.user is not None
    assert lina.user.username == "li.na"
    assert not lina.user.groups.exists()  # roles are HR's to give in the app
    assert not lina.user.is_staff and not lina.user.is_superuser
    # the new login and its link are in the account's audit, by the system
    events = list(AccountEvent.objects.filter(user=lina.user).order_by("pk"))
    assert [(e.action, e.actor_id) for e in events] == [("created", None), ("linked", None)]
    assert "L001" in events[1].detail
    sign_in(client, "li.na", "li.na-directory-pw")  # a later sign-in changes nothing
    assert AccountEvent.objects.filter(user=lina.user).count() == 2


def test_someone_without_an_employee_signs_in_with_no_roles(client, ldap_on):
    response = sign_in(client, "visitor", "visitor-directory-pw")
    assert response.redirect_chain[-1][0] == reverse("web:home")
    visitor = get_user_model().objects.get(username="visitor")
    assert not visitor.groups.exists()
    assert not Employee.objects.filter(user=visitor).exists()


def test_a_shared_email_links_nobody(client, ldap_on):
    first, second = employee("M001", "service@example.com"), employee("M002", "SERVICE@example.com")
    sign_in(client, "shared", "shared-directory-pw")
    assert signed_in_by(client) == LDAP_BACKEND
    assert Employee.objects.filter(pk__in=[first.pk, second.pk], user__isnull=False).count() == 0


def test_deactivated_employee_is_refused_though_the_directory_accepts(client, ldap_on):
    login = get_user_model().objects.create_user("leaver", is_active=False)
    employee("X001", "leaver@example.com", user=login)
    response = sign_in(client, "leaver", "leaver-directory-pw")
    assert response.redirect_chain == []
    assert signed_in_by(client) is None
    # the backend itself refuses, not only the login form: other callers of authenticate() rely on it
    assert EmployeeLDAPBackend().authenticate(None, username="leaver", password="leaver-directory-pw") is None
    login.is_active = True  # reactivated (离职返聘): the same directory password signs in again
    login.save(update_fields=["is_active"])
    sign_in(client, "leaver", "leaver-directory-pw")
    assert signed_in_by(client) == LDAP_BACKEND


def test_local_account_still_signs_in(client, ldap_on):
    response = sign_in(client, "hr", "demo1234")  # not in the directory
    assert response.redirect_chain[-1][0] == reverse("web:home")
    assert signed_in_by(client) == MODEL_BACKEND


def test_local_account_signs_in_while_the_directory_is_down(client, ldap_on, settings):
    settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{_free_port()}"
    response = sign_in(client, "admin", "demo1234")
    assert response.redirect_chain[-1][0] == reverse("web:home")
    assert signed_in_by(client) == MODEL_BACKEND
