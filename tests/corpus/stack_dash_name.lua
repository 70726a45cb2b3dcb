-- expect: exit 2
-- message: coap-con
-- known-failing: lua/unknown module names (the profile's label "coap-con" is not its key coap_con: nil, silently no stack)
local stacks = require "stacks"
return {
  devices = { { count = 10, stack = stacks["coap-con"] } },
}
