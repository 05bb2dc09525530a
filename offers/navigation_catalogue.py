def items(user):
    return []


def panels(user):
    return []
