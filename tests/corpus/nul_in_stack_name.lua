-- expect: exit 2
-- message: devices[1].stack.name
return { devices = { { count = 1, stack = { name = "coap\0con" } } } }
