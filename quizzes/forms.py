"""Reading a learner's answers from a submitted quiz form."""

ANSWER_PREFIX = "q-"


def answers_from(data) -> dict[str, list[str]]:
    """Every `q-<question id>` field of the form, as the list of chosen choice ids."""
    return {
        key[len(ANSWER_PREFIX) :]: data.getlist(key)
        for key in data
        if key.startswith(ANSWER_PREFIX)
    }
