-- expect: exit 2
-- message: out_o_overwrites_scenario.lua
-- args: run --quiet -o out_o_overwrites_scenario.lua
-- noline: a command-line error
-- unchanged: out_o_overwrites_scenario.lua
return {
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
