from django.db import models

from tawasul.core.access import ScopedQuerySet


class CaseFileQuerySet(ScopedQuerySet["CaseFile"]):
    case_content = True


class CaseFile(models.Model):
    country = models.CharField(max_length=2)
    summary = models.TextField()

    objects = CaseFileQuerySet.as_manager()

    def __str__(self) -> str:
        return self.summary
