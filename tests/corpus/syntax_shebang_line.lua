-- expect: exit 2
-- message: unexpected symbol
-- A shebang is only skipped by the stand-alone interpreter, and not on line 3.
#!/usr/bin/env mtcsim
return { devices = { { count = 1 } } }
