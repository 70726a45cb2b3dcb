-- expect: exit 2
-- message: coap_dtls
-- known-failing: lua/unknown module names (stacks.coap_dtls is nil: the group silently gets no stack)
local stacks = require "stacks"
return {
  devices = { { count = 10, stack = stacks.coap_dtls } },
}
