-- Headless Neovim (0.11+) applies one AI code action from ghostls end to end.
-- Run by tests/editors/test_nvim_code_action.py:
--   nvim --headless --clean -l nvim_code_action.lua
-- with GHOSTLS_TEST_PYTHON, GHOSTLS_TEST_BASE_URL, GHOSTLS_TEST_FILE, GHOSTLS_TEST_LINE and
-- GHOSTLS_TEST_TITLE set. Prints the buffer after the action; exits 0 when it changed.

local function env(name)
  local value = os.getenv(name)
  if not value or value == "" then
    io.stderr:write("missing " .. name .. "\n")
    os.exit(3)
  end
  return value
end

local python = env("GHOSTLS_TEST_PYTHON")
local file = env("GHOSTLS_TEST_FILE")
local line = tonumber(env("GHOSTLS_TEST_LINE"))
local title = env("GHOSTLS_TEST_TITLE")

vim.lsp.config("ghostls", {
  cmd = { python, "-m", "ghostls" },
  filetypes = { "python" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
  init_options = {
    baseUrl = env("GHOSTLS_TEST_BASE_URL"),
    model = "ghost-coder",
    debounceMs = 0,
    prefetch = false,
  },
})
vim.lsp.enable("ghostls")

vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()

local function client()
  return vim.lsp.get_clients({ bufnr = buf, name = "ghostls" })[1]
end

if not vim.wait(15000, function()
  local c = client()
  return c ~= nil and c.initialized == true
end, 20) then
  io.stderr:write("ghostls did not attach to the buffer\n")
  os.exit(1)
end

local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
vim.api.nvim_win_set_cursor(0, { line, 0 })
vim.lsp.buf.code_action({
  apply = true,
  filter = function(action)
    return action.title:find(title, 1, true) ~= nil
  end,
})

local changed = vim.wait(20000, function()
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") ~= before
end, 20)
io.stdout:write(table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n")
io.stdout:flush()
if not changed then
  io.stderr:write("the buffer did not change\n")
  os.exit(2)
end
os.exit(0)
