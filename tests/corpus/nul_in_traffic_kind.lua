-- expect: exit 2
-- message: devices[1].traffic.kind
return { devices = { { count = 1, traffic = { kind = "none\0periodic" } } } }
