-- expect: exit 2
-- message: coap_dtls
local stacks = require "stacks"
return {
  devices = { { count = 10, stack = stacks.coap_dtls } },
}
