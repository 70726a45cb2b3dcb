-- expect: exit 2
-- message: cell.rat: expected a string, got boolean
return { cell = { rat = true }, devices = { { count = 1 } } }
