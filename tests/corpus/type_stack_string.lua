-- expect: exit 2
-- message: devices[1].stack: expected a table, got string
return { devices = { { count = 1, stack = "coap-con" } } }
