"""Certificate PDF rendering: time for one certificate, and for a bulk run.

Targets: a median under 150 ms for one certificate PDF, and 1,000 in under two
minutes. Renders realistic certificates (Latin, Vietnamese, Arabic, Tigrinya,
Chinese and mixed-script names, a PNG logo, an SVG signature, an expiry date
and a 2 kB credential attached) with fresh codes, as issuing does. No
database: this times certificates.pdf alone.
"""

import io
import json
import statistics
import time
from datetime import date
from decimal import Decimal

from certificates.codes import format_code, generate_code
from certificates.pdf import CertificateDesign, CertificatePrint, render_certificate_pdf

WARM_UPS = 3
SAMPLES = 30
BULK_COUNT = 1_000
MEDIAN_TARGET_S = 0.150
BULK_TARGET_S = 120.0  # for 1,000 certificates

NAMES = (
    "Amina Yusuf",
    "Nguyễn Thị Minh Khai",
    "فاطمة الزهراء",
    "Maria Fernanda Rodríguez-Hernández",
    "Ardita Krasniqi",
    "ተስፋይ ገብረሚካኤል",
    "王芳",
    "Amina أمينة 王芳",
)


def run(count: int | None) -> list[tuple[str, float, float | None]]:
    """Render WARM_UPS + SAMPLES certificates, then a bulk run; return timings."""
    design = _design()
    for index in range(WARM_UPS):
        _render(design, index)
    times = []
    for index in range(SAMPLES):
        started = time.perf_counter()
        _render(design, index)
        times.append(time.perf_counter() - started)
    times.sort()
    median = statistics.median(times)
    p90 = times[min(len(times) - 1, round(0.9 * len(times)) - 1)]

    bulk = count or BULK_COUNT
    started = time.perf_counter()
    for index in range(bulk):
        _render(design, index)
    total = time.perf_counter() - started

    measurements: list[tuple[str, float, float | None]] = [
        (f"one PDF, median of {SAMPLES}", median, MEDIAN_TARGET_S),
        (f"one PDF, p90 of {SAMPLES}", p90, None),
        (f"one PDF, max of {SAMPLES}", times[-1], None),
    ]
    if bulk == BULK_COUNT:
        measurements.append((f"{bulk:,} PDFs, total", total, BULK_TARGET_S))
    else:
        # A shorter run is judged by what it projects for the full 1,000.
        measurements.append((f"{bulk:,} PDFs, total", total, None))
        measurements.append(
            (
                f"{BULK_COUNT:,} PDFs, projected",
                total / bulk * BULK_COUNT,
                BULK_TARGET_S,
            )
        )
    return measurements


def _render(design: CertificateDesign, index: int) -> bytes:
    code = format_code(generate_code())
    verify_url = f"https://circles.example.org/verify/{code}"
    credential = json.dumps(
        {
            "id": verify_url,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "padding": "x" * 1800,  # about the size of a signed credential
        }
    ).encode()
    return render_certificate_pdf(
        CertificatePrint(
            holder_name=NAMES[index % len(NAMES)],
            course_title="Peer mentoring foundations",
            hours=Decimal("12.5"),
            completed_on=date(2025, 11, 26),
            issuer_name="Circles",
            code=code,
            verify_url=verify_url,
            expires_on=date(2027, 11, 26),
        ),
        design,
        credential_json=credential,
    )


def _design() -> CertificateDesign:
    from PIL import Image, ImageDraw

    # PNG only, as trainers' uploads are stored (certificates/pdf.py).
    logo = io.BytesIO()
    Image.new("RGB", (480, 160), (29, 92, 99)).save(logo, "PNG")
    signature = Image.new("RGBA", (400, 120), (255, 255, 255, 0))
    ImageDraw.Draw(signature).line(
        [(10, 100), (80, 10), (160, 110), (240, 40), (390, 20)],
        fill=(17, 34, 51, 255),
        width=5,
    )
    signature_png = io.BytesIO()
    signature.save(signature_png, "PNG")
    return CertificateDesign(
        signatory_name="Amina Yusuf",
        signatory_title="Lead trainer",
        logo=logo.getvalue(),
        signature_image=signature_png.getvalue(),
    )
