"""A certificate template's wording, translated by trainers, prints in each language."""

import shutil
import subprocess

import pytest
from wagtail.models import Locale
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from certificates.models import CertificatePolicy, CertificateTemplate
from certificates.rendering import render_certificate_bytes, template_in

from .issuing import certified, make_course

SPANISH = {
    "Record of learning": "Constancia de aprendizaje",
    "{name} took part in {course}.": "{name} participó en {course}.",
    "Lead trainer": "Formadora principal",
}


@pytest.fixture
def template(course_index):
    template = CertificateTemplate.objects.create(
        name="Community look",
        title_text="Record of learning",
        body_text="{name} took part in {course}.",
        signatory_name="Jo Okafor",
        signatory_title="Lead trainer",
    )
    course = make_course(course_index, estimated_hours=3)
    CertificatePolicy.objects.create(course=course, template=template)
    return template


@pytest.fixture
def spanish_template(template):
    """What a trainer does in wagtail-localize's editor for the template."""
    spanish = Locale.objects.create(language_code="es")
    source, _created = TranslationSource.get_or_create_from_instance(template)
    translation = Translation.objects.create(source=source, target_locale=spanish)
    for segment in StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    ):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=spanish,
            context=segment.context,
            data=SPANISH[segment.string.data],
        )
    translation.save_target()
    return template.get_translation(spanish)


def pdf_text(certificate) -> str:
    pdf = render_certificate_bytes(certificate=certificate)
    result = subprocess.run(  # noqa: S603 - a fixed command line and our own PDF
        [shutil.which("pdftotext"), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def test_each_certificate_takes_the_template_s_words_in_its_own_language(
    template, spanish_template
):
    course = CertificatePolicy.objects.get(template=template).course
    english = certified(course, username="reads-english")
    spanish = certified(course, username="lee-espanol")
    spanish.language = "es"
    spanish.save(update_fields=["language"])

    assert "Record of learning" in pdf_text(english)
    text = pdf_text(spanish)
    assert "Constancia de aprendizaje" in text and "participó en" in text
    assert "Formadora principal" in text and "Jo Okafor" in text  # not translated
    assert spanish_template.primary_color == template.primary_color


def test_a_language_without_a_translation_keeps_the_original_words(template):
    assert template_in(template, "ar") == template
    assert template_in(template, "es") == template
    assert template_in(None, "es") is None
