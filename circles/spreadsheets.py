"""One formula guard for every cell a trainer downloads, in CSV and in XLSX.

Spreadsheet programs run a cell as a formula when its text starts with
``=``, ``+``, ``-`` or ``@``, and some also when a tab or carriage return
comes first. Learners choose their own usernames (``=1+1``, ``@sum``,
``-2``), and trainers write answer texts and titles, so any text could run
on a trainer's computer. ``guard_cell`` puts an apostrophe in front of such
text: the spreadsheet then shows it as written and runs nothing. Every
report's export goes through it, through ``FormulaGuardMixin``; nothing else
writes cells.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value):
    """Return the value safe for a spreadsheet cell: text never starts a formula.

    Numbers, dates and empty values pass unchanged; so does text that cannot
    be read as a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaGuardMixin:
    """Guard every heading and cell of a Wagtail ``SpreadsheetExportMixin`` export."""

    def preprocess_field_value(self, field, value, export_format):
        return guard_cell(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return guard_cell(super().get_heading(queryset, field))
