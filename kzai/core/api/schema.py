"""How the OpenAPI schema groups and names operations, and how a browser reads it.

Every operation gets a tag by its URL (`settings.KZAI_API_TAG_PREFIXES`, the longest prefix wins;
the tags themselves, in order and described, are `SPECTACULAR_SETTINGS["TAGS"]`) and a one-line
summary: an explicit `extend_schema(summary=...)` first, else "List …", "Create …" and so on with
the model's name for the standard actions, else the first line of the action's docstring.
The schema's view (readable in a browser) is `kzai.core.api.docs.SchemaView`.
`tests/core/test_api_docs.py` fails when an operation has no known tag or no summary.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from drf_spectacular.openapi import AutoSchema

# The summary of the standard viewset actions, with the model's verbose name (plural for a list).
STANDARD_SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Get one {name}",
    "create": "Create {article} {name}",
    "update": "Replace {article} {name}",
    "partial_update": "Change {article} {name}",
    "destroy": "Delete {article} {name}",
}


def _first_sentence(doc: str | None) -> str:
    """The first sentence of a docstring's first paragraph (wrapped lines joined)."""
    paragraph = " ".join(line.strip() for line in (doc or "").strip().split("\n\n")[0].splitlines())
    return paragraph.split(". ")[0].strip().rstrip(".:")


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeiou" else "a"


class KzaiAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        path = self.path
        matches = [(prefix, tag) for prefix, tag in settings.KZAI_API_TAG_PREFIXES if path.startswith(prefix)]
        if matches:
            return [max(matches, key=lambda match: len(match[0]))[1]]
        return super().get_tags()

    def _model_names(self) -> tuple[str, str]:
        queryset = getattr(self.view, "queryset", None)
        model = getattr(queryset, "model", None)
        if model is None:
            serializer_class = getattr(self.view, "serializer_class", None)
            model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is None:
            return "", ""
        # The API reference is written in English, whatever the language of the request.
        with translation.override("en"):
            return str(model._meta.verbose_name), str(model._meta.verbose_name_plural)

    def get_summary(self) -> str | None:
        action = getattr(self.view, "action", None)
        if action is None:  # an APIView: its method's docstring, else the view's
            method = getattr(self.view, self.method.lower(), None)
            return (
                _first_sentence(getattr(method, "__doc__", ""))
                or _first_sentence(type(self.view).__doc__)
                or None
            )
        name, plural = self._model_names()
        if action in STANDARD_SUMMARIES and name:
            return STANDARD_SUMMARIES[action].format(name=name, plural=plural, article=_article(name))
        summary = _first_sentence(getattr(getattr(self.view, action, None), "__doc__", ""))
        return summary or f"{action.replace('_', ' ').capitalize()}{f' ({name})' if name else ''}"
