"""Derived-field function and postprocess of the partner order table."""
import rates


def tier(amount):
    """Derived field: args as for built-ins (here the amount field)."""
    if amount is None:
        return None
    return 'large' if amount >= 100 else 'small'


def to_eur(order):
    """Postprocess: the record as a dict in, the record out (or None to drop it)."""
    if order['customer'].startswith('test-'):
        return None
    currency = order['currency']
    if currency not in rates.EUR_PER_UNIT:
        raise ValueError('unknown currency %r' % currency)
    order['amount_eur'] = round(order['amount'] * rates.EUR_PER_UNIT[currency], 2)
    return order
