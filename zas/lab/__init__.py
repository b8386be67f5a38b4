"""The device lab: simulated network devices that speak real SSH and SNMP on loopback.

One process (``python -m zas.lab serve``, started by ``zas lab up``) serves every device of the
lab, each on its own 127.0.0.1 TCP port (SSH, an asyncssh server with a per-platform CLI that
netmiko's ``cisco_ios``, ``arista_eos`` and ``juniper_junos`` drivers drive unmodified, plus SCP)
and its own UDP port (SNMP v2c and v3 authPriv SHA/AES, a small agent answering from the same
device state the CLI shows). State lives in ``<instance>/lab/``: credentials, host keys, each
device's running and startup configuration, its flash and the image it boots; it survives
``zas lab down`` / ``zas lab up``.

Ports: device *i* (0-based, in ``zas lab status`` order) listens on ``base_port + i`` for SSH
(default 20022) and ``snmp_base_port + i`` for SNMP (default 20161).

Fault spec (``zas lab up --faults SPEC``): a comma-separated list of ``DEVICE=FAULT`` items;
several faults for one device are joined with ``+``; a fault may take an argument after ``:``.

    auth            the device rejects the lab's password (and any other)
    slow[:SECONDS]  every CLI answer is delayed by SECONDS (default 2)
    hang            login succeeds, then the device never sends a byte
    drop            the SSH connection is cut halfway through any long output
    refused         nothing listens on the device's SSH port (connection refused)
    hostkey         the device presents a new SSH host key (not the stable one it keeps)
    snmp-timeout    the SNMP agent never answers
    snmp-community  the SNMP agent only accepts another community (and no v3 user)
    snmp-garbage    the SNMP agent answers garbage: wrong types (an OCTET STRING for ifHCInOctets
                    and ifInErrors, an INTEGER -100 for sysUpTime), missing columns (no
                    ifHCOutOctets, no ifHighSpeed), absurd values (ifSpeed 0, CPU 250 %)

Example: ``--faults "lab-ios-03=auth,lab-eos-02=refused,lab-junos-01=slow:2+snmp-timeout"``.
"""

PLATFORMS = ("cisco_ios", "arista_eos", "juniper_junos")
PLATFORM_PREFIX = {"cisco_ios": "ios", "arista_eos": "eos", "juniper_junos": "junos"}
DEFAULT_BASE_PORT = 20022
DEFAULT_SNMP_BASE_PORT = 20161
