-- expect: exit 2
-- message: coap-con
local stacks = require "stacks"
return {
  devices = { { count = 10, stack = stacks["coap-con"] } },
}
