"""Check a Circles credential file offline: signature, schema, status and validity."""

import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.codes import InvalidCode
from certificates.keys import site_public_key
from certificates.selectors import certificate_by_code, is_revoked_here
from certificates.signing import public_key_from_multibase
from certificates.verification import Outcome, verify_credential_document

_MAX_BYTES = 1024 * 1024
_CREDENTIAL_PATH = re.compile(r"/api/v1/certificates/([^/]+)/credential$")


class Command(BaseCommand):
    help = (
        "Check an Open Badges 3.0 credential JSON file issued by this site: its "
        "signature (with this site's key, or --public-key), the OB 3.0 schema, "
        "its revocation status in this site's records, and its validity dates. "
        "Exits with status 1 unless it is verified. Use - to read standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The credential JSON file, or - for stdin.")
        parser.add_argument(
            "--public-key",
            metavar="MULTIBASE",
            help="Check the signature with this Multikey (z6Mk...) instead of "
            "this site's key, e.g. from another copy of the DID document.",
        )

    def handle(self, *args, **options):
        document = self._read(options["file"])
        if options["public_key"]:
            try:
                key = public_key_from_multibase(options["public_key"])
            except ValueError as error:
                raise CommandError(f"--public-key: {error}") from error
        else:
            key = site_public_key()
        report = verify_credential_document(
            document, public_key=key, is_revoked=is_revoked_here
        )
        marks = {
            Outcome.PASSED: self.style.SUCCESS("PASSED "),
            Outcome.FAILED: self.style.ERROR("FAILED "),
            Outcome.SKIPPED: self.style.WARNING("SKIPPED"),
        }
        self.stdout.write(f"Credential: {_describe(document)}")
        record = _record_for(document)
        if record is not None:
            self.stdout.write(
                f"This site's record: certificate {record.display_code} is "
                f"{record.status.value}."
            )
        for name, check in report.checks.items():
            self.stdout.write(f"  {marks[check.outcome]} {name}")
            for message in check.messages:
                self.stdout.write(f"          {message}")
        if not report.verified:
            raise CommandError("The credential is NOT verified.", returncode=1)
        self.stdout.write(self.style.SUCCESS("The credential is verified."))

    def _read(self, name: str):
        try:
            if name == "-":
                data = sys.stdin.buffer.read(_MAX_BYTES + 1)
            else:
                with Path(name).open("rb") as file:
                    data = file.read(_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror}.") from error
        if len(data) > _MAX_BYTES:
            raise CommandError("The file is larger than any credential we issue.")
        try:
            return json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{name} is not JSON: {error}") from error


def _record_for(document):
    """Return this site's certificate named by the credential's id, if any."""
    identifier = document.get("id") if isinstance(document, dict) else None
    match = _CREDENTIAL_PATH.search(identifier) if isinstance(identifier, str) else None
    if match is None:
        return None
    try:
        return certificate_by_code(match.group(1))
    except InvalidCode:
        return None


def _describe(document) -> str:
    if isinstance(document, dict) and isinstance(document.get("id"), str):
        return document["id"]
    return "(no id)"
