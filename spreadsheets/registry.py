"""Which sheets and resources make up each kind of import."""

from __future__ import annotations

from dataclasses import dataclass

from .models import ImportKind


@dataclass(frozen=True)
class SheetSpec:
    title: str
    resource_path: str

    @property
    def resource_class(self):
        from importlib import import_module

        module, name = self.resource_path.rsplit(".", 1)
        return getattr(import_module(module), name)


@dataclass(frozen=True)
class ImportSpec:
    kind: str
    sheets: tuple[SheetSpec, ...]
    template_name: str

    def sheet_lookup(self) -> list[tuple[str, set[str]]]:
        """(title, the folded names of its columns) of each sheet: how a sheet and its header row are found."""
        from .reading import header_key

        return [
            (sheet.title, {header_key(c.column_name) for c in sheet.resource_class.columns()})
            for sheet in self.sheets
        ]


SPECS: dict[str, ImportSpec] = {
    ImportKind.BENEFICIARIES: ImportSpec(
        ImportKind.BENEFICIARIES,
        (SheetSpec("Cơ sở CNNT", "spreadsheets.resources.beneficiaries.BeneficiaryResource"),),
        "mau-nhap-co-so-cnnt",
    ),
    ImportKind.PROJECTS: ImportSpec(
        ImportKind.PROJECTS,
        (
            SheetSpec("Đề án", "spreadsheets.resources.projects.ProjectResource"),
            SheetSpec("Dự toán", "spreadsheets.resources.project_lines.BudgetLineResource"),
            SheetSpec("Cơ sở thụ hưởng", "spreadsheets.resources.project_lines.ProjectBeneficiaryResource"),
        ),
        "mau-nhap-de-an",
    ),
    ImportKind.TARGETS: ImportSpec(
        ImportKind.TARGETS,
        (SheetSpec("Chỉ tiêu", "spreadsheets.resources.programs.ProgrammeTargetResource"),),
        "mau-nhap-chi-tieu-chuong-trinh",
    ),
    ImportKind.OUTPUTS: ImportSpec(
        ImportKind.OUTPUTS,
        (SheetSpec("Kết quả đã đạt", "spreadsheets.resources.programs.HistoricOutputResource"),),
        "mau-nhap-ket-qua-da-dat",
    ),
}


def spec_for(kind: str) -> ImportSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise ValueError(f"Unknown import kind: {kind!r}") from None
