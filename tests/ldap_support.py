"""An organisation's directory for the LDAP tests: Debian's OpenLDAP `slapd`, started on
loopback with a configuration of its own, a certificate made for it (StartTLS and LDAPS), the
`memberof` overlay (so entries carry `memberOf`, as in Active Directory), and a service
account that may read people and groups but no passwords."""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ldap3 import MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE, Connection, Server

SUFFIX = "dc=corp,dc=example"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"
SERVICE_DN = f"cn=zwitscher,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-account-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
SLAPD = "/usr/sbin/slapd"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")


def require_slapd() -> None:
    """Skip the calling module where slapd is missing; in CI that is a failure."""
    if Path(SLAPD).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI needs Debian's slapd for the LDAP tests (apt-get install -y slapd)",
                    pytrace=False)
    pytest.skip("slapd is not installed here", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate authority and a server certificate for `localhost` signed by it."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Corp test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
              .issuer_name(ca_name).public_key(key.public_key())
              .serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(minutes=5))
              .not_valid_after(now + datetime.timedelta(days=1))
              .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                             critical=False)
              .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_file, cert_file


class Slapd:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port, self.tls_port = _free_port(), _free_port()
        self.url = f"ldap://localhost:{self.port}"
        self.ldaps_url = f"ldaps://localhost:{self.tls_port}"
        self.ca_file: Path | None = None
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Slapd:
        self.ca_file, cert_file = _certificate(self.folder)
        database = self.folder / "db"
        database.mkdir()
        includes = "\n".join(f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS)
        config = self.folder / "slapd.conf"
        config.write_text(f"""{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile {self.folder}/slapd.pid
TLSCertificateFile {cert_file}
TLSCertificateKeyFile {self.folder}/key.pem
database mdb
suffix "{SUFFIX}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {database}
maxsize 10485760
overlay memberof
access to attrs=userPassword by self =xw by anonymous auth by * none
access to * by dn.exact="{SERVICE_DN}" read by self read by * none
""")
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(config), "-h", f"{self.url}/ {self.ldaps_url}/", "-d", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("slapd did not start: "
                                       + self.process.stderr.read().decode()) from None
                time.sleep(0.1)
        self._seed()
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder / "db", ignore_errors=True)

    def admin(self) -> Connection:
        return Connection(Server("127.0.0.1", port=self.port), ADMIN_DN, ADMIN_PASSWORD,
                          auto_bind=True, raise_exceptions=True)

    def _seed(self) -> None:
        with self.admin() as ldap:
            ldap.add(SUFFIX, ["dcObject", "organization"], {"o": "Corp", "dc": "corp"})
            for unit in ("people", "groups", "services"):
                ldap.add(f"ou={unit},{SUFFIX}", "organizationalUnit", {"ou": unit})
            ldap.add(SERVICE_DN, ["organizationalRole", "simpleSecurityObject"],
                     {"cn": "zwitscher", "userPassword": SERVICE_PASSWORD})

    def add_person(self, uid: str, password: str, *, mail: str | None = None,
                   name: str | None = None) -> str:
        dn = f"uid={uid},{PEOPLE}"
        attributes = {"uid": uid, "cn": name or uid, "sn": uid, "userPassword": password}
        if mail:
            attributes["mail"] = mail
        if name:
            attributes["displayName"] = name
        with self.admin() as ldap:
            ldap.add(dn, "inetOrgPerson", attributes)
        return dn

    def set_password(self, uid: str, password: str) -> None:
        with self.admin() as ldap:
            ldap.modify(f"uid={uid},{PEOPLE}", {"userPassword": [(MODIFY_REPLACE, [password])]})

    def add_group(self, cn: str) -> None:
        """A group whose only member is the admin (groupOfNames needs one)."""
        with self.admin() as ldap:
            ldap.add(f"cn={cn},{GROUPS}", "groupOfNames", {"cn": cn, "member": [ADMIN_DN]})

    def add_member_to(self, cn: str, uid: str) -> None:
        with self.admin() as ldap:
            if not ldap.search(GROUPS, f"(cn={cn})", attributes=["cn"]):
                ldap.add(f"cn={cn},{GROUPS}", "groupOfNames", {"cn": cn, "member": [ADMIN_DN]})
            ldap.modify(f"cn={cn},{GROUPS}", {"member": [(MODIFY_ADD, [f"uid={uid},{PEOPLE}"])]})

    def remove_member(self, cn: str, uid: str) -> None:
        with self.admin() as ldap:
            ldap.modify(f"cn={cn},{GROUPS}",
                        {"member": [(MODIFY_DELETE, [f"uid={uid},{PEOPLE}"])]})

    def settings(self, **changes: str) -> dict[str, str]:
        """The `ZWITSCHER_LDAP_*` settings for this directory, plain LDAP without StartTLS
        unless changed."""
        return {"ZWITSCHER_LDAP_URL": self.url, "ZWITSCHER_LDAP_START_TLS": "false",
                "ZWITSCHER_LDAP_BIND_DN": SERVICE_DN,
                "ZWITSCHER_LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
                "ZWITSCHER_LDAP_USER_BASE": PEOPLE, "ZWITSCHER_LDAP_GROUP_BASE": GROUPS,
                "ZWITSCHER_LDAP_CA_FILE": str(self.ca_file), **changes}
