-- expect: exit 2
-- message: attempt to mul a 'number' with a 'string'
local hours = "h"
return {
  duration = 24 * hours,
  devices = { { count = 10 } },
}
