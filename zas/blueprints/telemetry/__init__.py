"""SNMP telemetry: REST series, the /telemetry dashboard."""
