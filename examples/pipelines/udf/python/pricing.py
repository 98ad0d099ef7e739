"""Derived-field function and postprocess of the partner order table."""
from decimal import Decimal, ROUND_HALF_UP

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
    eur = Decimal(str(order['amount'])) * Decimal(str(rates.EUR_PER_UNIT[currency]))
    order['amount_eur'] = float(eur.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))
    return order
