-- a module that builds a huge string
local s = ("x"):rep(1 << 30)
return s
