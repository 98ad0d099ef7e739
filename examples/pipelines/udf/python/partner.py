"""Preprocess for the partner order feed: raw line in, line out (or None to drop it)."""
import json
from datetime import datetime


def normalize(line):
    # The partner's keep-alive lines carry no order.
    if line.startswith('HEARTBEAT'):
        return None
    order = json.loads(line)
    # The partner writes day-first local dates ("23/11/2026 10:00:01"); the table wants ISO-8601.
    order['ts'] = datetime.strptime(order['ts'], '%d/%m/%Y %H:%M:%S').isoformat()
    return json.dumps(order)
