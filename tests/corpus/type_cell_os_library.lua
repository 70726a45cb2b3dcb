-- expect: exit 2
-- message: devices[1].module
return { devices = { { count = 1, module = os } } }
