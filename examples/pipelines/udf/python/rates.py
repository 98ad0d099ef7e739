"""Reference data used by pricing: a module of the same directory may be imported."""
EUR_PER_UNIT = {'EUR': 1.0, 'USD': 0.92, 'GBP': 1.17}
