-- expect: exit 2
-- message: --set devices[2].count=5
-- args: check --set devices[2].count=5
-- noline: a --set argument error names the argument
return {
  devices = setmetatable({ { count = 10 } }, { __index = function(_, k) error("no group " .. k) end }),
}
