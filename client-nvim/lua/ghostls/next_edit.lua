--- ghostls next-edit suggestions for Neovim 0.10+: the edit your recent edits imply, shown where
--- it would go, applied with one key. Served by ghostls with `nextEdit = "on"` as Copilot's
--- `textDocument/copilotInlineEdit`.
---
---   * after you change the buffer in normal mode (or leave insert mode) and pause, it asks the
---     ghostls client attached to the buffer for the next edit, cancelling a request a newer one
---     supersedes and dropping answers for a buffer version that moved on;
---   * it shows the edit: the text it replaces marked (GhostlsNextEditDelete, linked to
---     DiffDelete) and the new text after it as virtual text and lines (GhostlsNextEditAdd,
---     linked to DiffAdd), and tells the server it showed it (`textDocument/didShowInlineEdit`);
---   * <Tab> applies it, puts the cursor at its end and runs its command (ghostls then fetches the
---     edit after it, shown at once); <Esc>, moving the cursor or changing the buffer dismisses it.
---
--- Setup (after the ghostls client is configured; see editors/neovim/):
---
---   require('ghostls.next_edit').setup({
---     client = 'ghostls',          -- name of the LSP client
---     debounce_ms = 150,           -- pause after a change before asking
---     keys = { accept = '<Tab>', dismiss = '<Esc>' },  -- normal-mode keys; false: unmapped
---   })
---
--- For mappings of your own: visible(), accept() and dismiss() (false when none is shown), and
--- request() to ask now.

local M = {}

local api = vim.api
local ns = api.nvim_create_namespace('ghostls_next_edit')
local util = require('ghostls.util')
local METHOD = 'textDocument/copilotInlineEdit'

local defaults = {
  client = 'ghostls',
  debounce_ms = 150,
  keys = { accept = '<Tab>', dismiss = '<Esc>' },
}
local config = vim.deepcopy(defaults)

local timer = assert(vim.uv.new_timer())
--- The request in flight: { client = vim.lsp.Client, id = integer }.
local pending
--- The edit shown: { buf, client_id, version, edit, cursor = {row, col} }.
local shown

local call = util.call

local function version_of(buf)
  return vim.lsp.util.buf_versions[buf]
end

local function ghostls_client(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = config.client })[1]
end

local function hide()
  shown = util.clear(shown, ns)
end

local function cancel_pending()
  pending = util.cancel(pending)
end

--- The byte column of an LSP position in `buf` (clamped to the line).
local function byte_col(buf, position, encoding)
  local line = api.nvim_buf_get_lines(buf, position.line, position.line + 1, false)[1] or ''
  return util.byte_index(line, position.character, encoding)
end

local function draw(buf, client, edit)
  local range = edit.range
  local enc = client.offset_encoding
  local start_row, end_row = range.start.line, range['end'].line
  local start_col = byte_col(buf, range.start, enc)
  local end_col = byte_col(buf, range['end'], enc)
  if start_row ~= end_row or start_col ~= end_col then
    api.nvim_buf_set_extmark(buf, ns, start_row, start_col, {
      end_row = end_row,
      end_col = end_col,
      hl_group = 'GhostlsNextEditDelete',
    })
  end
  if edit.text == '' then
    return
  end
  local lines = vim.split(edit.text, '\n', { plain = true })
  local mark = { virt_text = { { lines[1], 'GhostlsNextEditAdd' } }, virt_text_pos = 'inline' }
  if #lines > 1 then
    mark.virt_lines = {}
    for i = 2, #lines do
      table.insert(mark.virt_lines, { { lines[i], 'GhostlsNextEditAdd' } })
    end
  end
  if lines[1] == '' then
    mark.virt_text = nil
  end
  api.nvim_buf_set_extmark(buf, ns, end_row, end_col, mark)
end

local function show(buf, client, version, result)
  hide()
  local edit = result and result.edits and result.edits[1]
  if not edit or type(edit.text) ~= 'string' or not edit.range then
    return
  end
  local document = edit.textDocument or {}
  if document.version ~= nil and document.version ~= version then
    return -- for another version of the buffer
  end
  edit.text = edit.text:gsub('\r\n?', '\n')
  draw(buf, client, edit)
  shown = {
    buf = buf,
    client_id = client.id,
    version = version,
    edit = edit,
    cursor = api.nvim_win_get_cursor(0),
  }
  if edit.command then
    call(client, 'notify', 'textDocument/didShowInlineEdit', { item = { command = edit.command } })
  end
end

--- Asks for the next edit at the cursor now.
function M.request()
  local buf = api.nvim_get_current_buf()
  local client = ghostls_client(buf)
  if not client then
    return
  end
  cancel_pending()
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local id
  local function handle(err, result)
    if pending and pending.id == id then
      pending = nil
    end
    if err or api.nvim_get_current_buf() ~= buf or not api.nvim_buf_is_valid(buf) then
      return
    end
    local mode = api.nvim_get_mode().mode:sub(1, 1)
    local version = version_of(buf)
    if mode == 'n' and params.textDocument.version == version then
      show(buf, client, version, result)
    end
  end
  -- The request flushes the buffer's pending didChange first: the version below is the one
  -- the server sees.
  params.textDocument.version = version_of(buf)
  local ok
  ok, id = call(client, 'request', METHOD, params, handle, buf)
  if ok and id then
    pending = { client = client, id = id }
  end
end

local function later()
  hide()
  timer:stop()
  timer:start(config.debounce_ms, 0, vim.schedule_wrap(function()
    if api.nvim_get_mode().mode:sub(1, 1) == 'n' then
      M.request()
    end
  end))
end

function M.visible()
  return shown ~= nil
end

--- Applies the edit shown, puts the cursor at its end and runs its command.
function M.accept()
  if not shown then
    return false
  end
  local current = shown
  hide()
  local client = vim.lsp.get_client_by_id(current.client_id)
  if not client or version_of(current.buf) ~= current.version then
    return false
  end
  local edit = current.edit
  local enc = client.offset_encoding
  vim.lsp.util.apply_text_edits({ { range = edit.range, newText = edit.text } }, current.buf, enc)
  local lines = vim.split(edit.text, '\n', { plain = true })
  local row = edit.range.start.line + #lines - 1
  local col = #lines == 1 and byte_col(current.buf, edit.range.start, enc) + #lines[1]
    or #lines[#lines]
  api.nvim_win_set_cursor(0, { row + 1, math.max(0, col - 1) })
  if edit.command then
    local params = { command = edit.command.command, arguments = edit.command.arguments }
    call(client, 'request', 'workspace/executeCommand', params, function() end, current.buf)
  end
  timer:stop()
  M.request() -- the next edit, fetched ahead by the server
  return true
end

function M.dismiss()
  if not shown then
    return false
  end
  hide()
  return true
end

local function map(lhs, action, desc)
  util.map('n', lhs, action, desc)
end

function M.setup(opts)
  config = vim.tbl_deep_extend('force', defaults, opts or {})
  local function highlight()
    api.nvim_set_hl(0, 'GhostlsNextEditDelete', { link = 'DiffDelete', default = true })
    api.nvim_set_hl(0, 'GhostlsNextEditAdd', { link = 'DiffAdd', default = true })
  end
  highlight()
  local group = api.nvim_create_augroup('ghostls_next_edit', { clear = true })
  api.nvim_create_autocmd('ColorScheme', { group = group, callback = highlight })
  api.nvim_create_autocmd({ 'TextChanged', 'InsertLeave' }, { group = group, callback = later })
  api.nvim_create_autocmd({ 'InsertEnter', 'BufLeave' }, {
    group = group,
    callback = function()
      timer:stop()
      cancel_pending()
      hide()
    end,
  })
  api.nvim_create_autocmd('CursorMoved', {
    group = group,
    callback = function()
      if shown and not vim.deep_equal(api.nvim_win_get_cursor(0), shown.cursor) then
        hide()
      end
    end,
  })
  map(config.keys.accept, M.accept, 'ghostls: apply the next edit')
  map(config.keys.dismiss, M.dismiss, 'ghostls: dismiss the next edit')
end

return M
