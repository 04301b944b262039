"""Activities and conversation references to and from JSON, without msrest's slow walk (workaround 11).

11. Incoming activities without msrest's walk. `Activity().deserialize(body)` costs as much as the echo bot's
   whole reply. `activity_from_json` builds the same Activity (checked against msrest in
   tests/test_adapter_json.py) for the attribute types the schema uses, and hands anything else to msrest.
   `conversation_reference_from_json` does the same for the stored references proactive messages start from.

The outgoing half is here too: `model_json` and `json_default` write the JSON msrest would send for an activity
(the replies of workaround 10 in bot/platform/http.py, and the stored references of bot/identity.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import botbuilder.schema
from botbuilder.schema import Activity, ConversationReference
from msrest.serialization import Deserializer, Model, Serializer

_MSREST = Serializer()


def _json_of(value: Any, data_type: str) -> Any:
    """One attribute as msrest's Serializer would write it, for the types activities use (else msrest itself).

    Values of type "object" (attachment content, channel data, value) stay as they are: `json_default` turns
    what json cannot write (models, enums, dates) into what msrest's serialize_object writes, when dumping.
    """
    if isinstance(value, Model):
        return model_json(value)
    if data_type == "object":
        return value
    if data_type == "str":
        return value.value if isinstance(value, Enum) else str(value)
    if data_type == "bool" and isinstance(value, bool):
        return value
    if data_type == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if data_type == "iso-8601" and isinstance(value, datetime):
        return Serializer.serialize_iso(value)
    if data_type.startswith("[") and isinstance(value, list):
        return [None if item is None else _json_of(item, data_type[1:-1]) for item in value]
    if data_type.startswith("{") and isinstance(value, dict):
        return {str(k): None if v is None else _json_of(v, data_type[1:-1]) for k, v in value.items()}
    return _MSREST.serialize_data(value, data_type)


def json_default(value: Any) -> Any:
    """For json.dumps: what msrest's serialize_object writes for a value plain JSON does not know."""
    if isinstance(value, Model):
        return model_json(value)
    if isinstance(value, Enum):
        return value.value
    return _MSREST.serialize_object(value)


def model_json(model: Model) -> dict[str, Any]:
    """The JSON msrest sends for a model (an Activity and what it holds), without msrest's model round trip.

    msrest's Serializer.body first rebuilds the model from itself and validates it, then serializes it; the
    result is the same as serializing the model once, which is what this does (Model.serialize does too, but
    slowly). Flattened keys and readonly attributes do not occur in the Bot Framework schema; should one
    appear, msrest does the whole model. Dump the result with `json_default`.
    """
    attribute_map: dict[str, dict[str, str]] = type(model)._attribute_map
    validation: dict[str, dict[str, Any]] = type(model)._validation
    document: dict[str, Any] = {}
    for attribute, description in attribute_map.items():
        key = description["key"]
        if "." in key or validation.get(attribute, {}).get("readonly"):
            serialized: dict[str, Any] = model.serialize()
            return serialized
        if attribute == "additional_properties" and key == "":
            document.update(getattr(model, attribute, None) or {})
            continue
        value = getattr(model, attribute, None)
        if value is not None:
            document[key] = _json_of(value, description["type"])
    return document


# --- 11. Incoming activities without msrest's walk ----------------------------------------------------------

_SCHEMA: dict[str, type[Model]] = {
    name: cls for name, cls in vars(botbuilder.schema).items() if isinstance(cls, type) and issubclass(cls, Model)
}


class _Unusual(Exception):
    """Something msrest's fast twin does not handle: msrest does the whole activity."""


def _value_from_json(raw: Any, data_type: str) -> Any:
    """msrest's Deserializer.deserialize_data for the types of the Bot Framework schema, on parsed JSON."""
    if data_type == "str":
        return raw if isinstance(raw, str) else str(raw)
    if data_type == "object":
        return raw  # msrest rebuilds parsed JSON as it is (deserialize_object)
    if data_type == "bool":
        if raw in (True, False, 1, 0):
            return bool(raw)
        raise _Unusual
    if data_type == "int" and isinstance(raw, int):
        return int(raw)
    if data_type == "iso-8601" and isinstance(raw, str):
        return Deserializer.deserialize_iso(raw)
    if data_type.startswith("[") and isinstance(raw, list):
        return [None if item is None else _value_from_json(item, data_type[1:-1]) for item in raw]
    if data_type.startswith("{") and isinstance(raw, dict):
        return {k: None if v is None else _value_from_json(v, data_type[1:-1]) for k, v in raw.items()}
    model = _SCHEMA.get(data_type)
    if model is not None:
        return _model_from_json(model, raw)
    raise _Unusual


def _model_from_json(model: type[Model], data: Any) -> Model:
    if not isinstance(data, dict) or getattr(model, "_subtype_map", None):
        raise _Unusual
    kwargs = {}
    for attribute, description in model._attribute_map.items():
        key = description["key"]
        if not key or "." in key or "\\" in key or model._validation.get(attribute):
            raise _Unusual  # additional properties, flattening, readonly or constant attributes
        raw = data.get(key)
        kwargs[attribute] = None if raw is None else _value_from_json(raw, description["type"])
    built = model(**kwargs)
    # As msrest does (Deserializer._build_additional_properties): keys the model does not know are kept aside.
    extra = data.keys() - _known_keys(model)
    if extra:
        built.additional_properties = {key: data[key] for key in extra}
    return built


_KNOWN_KEYS: dict[type[Model], frozenset[str]] = {}


def _known_keys(model: type[Model]) -> frozenset[str]:
    known = _KNOWN_KEYS.get(model)
    if known is None:
        known = _KNOWN_KEYS[model] = frozenset(d["key"] for d in model._attribute_map.values())
    return known


def conversation_reference_from_json(document: Any) -> ConversationReference:
    """The ConversationReference msrest's `ConversationReference().deserialize(document)` builds (a stored one)."""
    try:
        reference = _model_from_json(ConversationReference, document)
    except (_Unusual, ValueError, TypeError, AttributeError):
        reference = ConversationReference().deserialize(document)
    assert isinstance(reference, ConversationReference)
    return reference


def activity_from_json(body: Any) -> Activity:
    """The Activity msrest's `Activity().deserialize(body)` builds, built directly when the body is usual."""
    try:
        activity = _model_from_json(Activity, body)
    except (_Unusual, ValueError, TypeError, AttributeError):
        activity = Activity().deserialize(body)
    assert isinstance(activity, Activity)
    return activity
