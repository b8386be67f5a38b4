"""SNMP agent placeholder (replaced below)."""


class SnmpService:
    def __init__(self, lab):
        self.lab = lab

    async def start(self, dev):
        pass

    def close(self):
        pass
