from .project import BudgetLine, Project, ProjectBeneficiary, ProjectOutput, ProjectQuerySet, ProjectStatus

__all__ = ["BudgetLine", "Project", "ProjectBeneficiary", "ProjectOutput", "ProjectQuerySet", "ProjectStatus"]
