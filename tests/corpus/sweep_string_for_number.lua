-- expect: exit 2
-- message: duration: expected a number, got string
-- message: swept duration="1h"
return {
  devices = { { count = 1 } },
  sweep = { duration = { "1h", "2h" } },
}
