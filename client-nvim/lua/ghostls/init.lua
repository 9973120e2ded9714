--- ghostls: AI ghost text for Neovim 0.10 and 0.11, from the ghostls language server.
---
--- Neovim 0.12 shows `textDocument/inlineCompletion` natively (vim.lsp.inline_completion); this
--- module does the same job for the versions before it, with no dependencies:
---   * in insert mode it asks the ghostls client attached to the buffer for an inline completion
---     as you type (at once by default: the server debounces adaptively), cancelling the request
---     a newer one supersedes and dropping answers that come back after the buffer or the cursor
---     moved on;
---   * it shows the first item as ghost text: the rest of the cursor line as inline virtual text,
---     the following lines as virtual lines, in highlight group GhostlsSuggestion (linked to
---     Comment);
---   * characters you type that match the suggestion keep it shown; moving elsewhere, <Esc> or
---     leaving the buffer dismisses it;
---   * accepting applies the item's range and text with vim.lsp.util.apply_text_edits in the
---     client's offset encoding and runs the item's command (ghostls counts acceptances).
---
--- Setup (after the ghostls client is configured; see editors/neovim/init-0.11.lua):
---
---   require('ghostls').setup({
---     client = 'ghostls',           -- name of the LSP client (vim.lsp.config / vim.lsp.start)
---     debounce_ms = 0,              -- extra wait after a keystroke before asking
---     keys = {                      -- insert-mode keys; false leaves a key unmapped
---       accept = '<Tab>',           -- the whole suggestion; <Tab> as usual when none is shown
---       accept_word = '<M-Right>',  -- its next word
---       accept_line = '<M-Down>',   -- the rest of its current line, or its next line
---       dismiss = '<C-]>',
---     },
---   })
---
--- For mappings of your own: visible(), accept(), accept_word(), accept_line() and dismiss()
--- (the accept functions return false when no suggestion is shown). capabilities() gives the
--- client capabilities that tell the server this client shows ghost text.

local M = {}

local api = vim.api
local ns = api.nvim_create_namespace('ghostls')
local util = require('ghostls.util')
local AUTOMATIC = 2 -- InlineCompletionTriggerKind.Automatic

local defaults = {
  client = 'ghostls',
  debounce_ms = 0,
  keys = {
    accept = '<Tab>',
    accept_word = '<M-Right>',
    accept_line = '<M-Down>',
    dismiss = '<C-]>',
  },
}
local config = vim.deepcopy(defaults)

local timer = assert(vim.uv.new_timer())
--- The request in flight: { client = vim.lsp.Client, id = integer }.
local pending
--- Where the latest request was made ("buf:changedtick:row:col"), to ask once per state.
local asked
--- The suggestion shown: insert `text` at (row, col) (0-based, bytes) in `buf`, replacing
--- `replaced`, the text right after the cursor that the item's range covers (a closing bracket).
local shown

local call, byte_index = util.call, util.byte_index

local function line_at(buf, row)
  return api.nvim_buf_get_lines(buf, row, row + 1, true)[1]
end

--- The cursor as 0-based row and byte column.
local function cursor()
  local pos = api.nvim_win_get_cursor(0)
  return pos[1] - 1, pos[2]
end

local function state_key(buf)
  local row, col = cursor()
  return table.concat({ buf, api.nvim_buf_get_changedtick(buf), row, col }, ':')
end

local function in_insert_mode()
  return api.nvim_get_mode().mode:sub(1, 1) == 'i'
end

local function hide()
  shown = util.clear(shown, ns)
end

local function cancel_pending()
  pending = util.cancel(pending)
end

local function ghost(text)
  return { { (text:gsub('\t', string.rep(' ', vim.bo.tabstop))), 'GhostlsSuggestion' } }
end

--- Draws `shown` so the line reads as it would once accepted.
local function render()
  api.nvim_buf_clear_namespace(shown.buf, ns, 0, -1)
  local lines = vim.split(shown.text, '\n', { plain = true })
  local rest = line_at(shown.buf, shown.row):sub(shown.col + 1) -- what follows the cursor now
  local tail = rest:sub(#shown.replaced + 1) -- what follows the replaced text
  local mark = { hl_mode = 'combine' }
  local first = #lines == 1 and lines[1] .. tail or lines[1]
  if vim.endswith(first, rest) then
    -- What is already there stays; the new text goes before it.
    local new = first:sub(1, #first - #rest)
    if new ~= '' then
      mark.virt_text, mark.virt_text_pos = ghost(new), 'inline'
    end
  else
    -- Cover what the suggestion replaces or moves to its last line.
    local width = vim.fn.strdisplaywidth(rest)
    local pad = string.rep(' ', math.max(0, width - vim.fn.strdisplaywidth(first)))
    mark.virt_text, mark.virt_text_pos = ghost(first .. pad), 'overlay'
  end
  if #lines > 1 then
    mark.virt_lines = {}
    for i = 2, #lines do
      table.insert(mark.virt_lines, ghost(i == #lines and lines[i] .. tail or lines[i]))
    end
  end
  api.nvim_buf_set_extmark(shown.buf, ns, shown.row, shown.col, mark)
end

--- Keeps the suggestion when the cursor is still on it and what was typed since agrees with it.
local function refit(buf)
  if not shown or shown.buf ~= buf then
    return false
  end
  local row, col = cursor()
  if row ~= shown.row or col < shown.col then
    return false
  end
  local line = line_at(buf, row)
  local typed = line:sub(shown.col + 1, col)
  if shown.text:sub(1, #typed) ~= typed or #typed == #shown.text then
    return false
  end
  if line:sub(col + 1, col + #shown.replaced) ~= shown.replaced then
    return false
  end
  shown.col, shown.text = col, shown.text:sub(#typed + 1)
  render()
  return true
end

--- Shows the first item of an inline completion answer for the cursor at (row, col).
local function show(buf, client, row, col, result)
  hide()
  local items = result and (result.items or result) or {}
  local item = items[1]
  if not item then
    return
  end
  local text = type(item.insertText) == 'table' and item.insertText.value or item.insertText
  if type(text) ~= 'string' then
    return
  end
  text = text:gsub('\r\n?', '\n')
  local line = line_at(buf, row)
  local first, last = col, col
  if item.range then
    local range_start, range_end = item.range.start, item.range['end']
    if range_start.line ~= row or range_end.line ~= row then
      return
    end
    first = byte_index(line, range_start.character, client.offset_encoding)
    last = byte_index(line, range_end.character, client.offset_encoding)
  end
  -- The range may start before the cursor, over text typed since: the item must agree with it.
  local typed = line:sub(first + 1, col)
  if first > col or last < col or text:sub(1, #typed) ~= typed or #typed == #text then
    return
  end
  shown = {
    buf = buf,
    row = row,
    col = col,
    text = text:sub(#typed + 1),
    replaced = line:sub(col + 1, last),
    client_id = client.id,
    command = item.command,
  }
  render()
end

local function ghostls_client(buf)
  local client = vim.lsp.get_clients({ bufnr = buf, name = config.client })[1]
  if client and client.server_capabilities.inlineCompletionProvider then
    return client
  end
end

--- Asks for a suggestion at the cursor, unless this exact state was asked about already.
local function request()
  local buf = api.nvim_get_current_buf()
  local client = ghostls_client(buf)
  if not client or not in_insert_mode() then
    return
  end
  local key = state_key(buf)
  if key == asked then
    return
  end
  asked = key
  cancel_pending()
  local row, col = cursor()
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  params.context = { triggerKind = AUTOMATIC }
  local id
  local function handle(err, result)
    if pending and pending.id == id then
      pending = nil
    end
    if err or not in_insert_mode() or api.nvim_get_current_buf() ~= buf then
      return
    end
    if state_key(buf) == key then -- otherwise stale: the buffer or the cursor moved on
      show(buf, client, row, col, result)
    end
  end
  local ok
  ok, id = call(client, 'request', 'textDocument/inlineCompletion', params, handle, buf)
  if ok and id then
    pending = { client = client, id = id }
  end
end

local function on_change()
  if not refit(api.nvim_get_current_buf()) then
    hide()
  end
  timer:stop()
  timer:start(config.debounce_ms, 0, vim.schedule_wrap(request))
end

local function stop()
  timer:stop()
  cancel_pending()
  hide()
  asked = nil
end

--- The (0-based) position just after `text` inserted at (row, col).
local function end_of(row, col, text)
  local lines = vim.split(text, '\n', { plain = true })
  return row + #lines - 1, (#lines == 1 and col or 0) + #lines[#lines]
end

--- Inserts `text` at the suggestion's position (replacing `replaced` if asked) and puts the
--- cursor after it. Returns the client, or nil if it has gone.
local function insert(text, replace)
  local client = vim.lsp.get_client_by_id(shown.client_id)
  if not client then
    return nil
  end
  local enc, buf, row, col = client.offset_encoding, shown.buf, shown.row, shown.col
  local last = replace and col + #shown.replaced or col
  local function position(byte_col)
    return { line = row, character = vim.lsp.util.character_offset(buf, row, byte_col, enc) }
  end
  local edit = { range = { start = position(col), ['end'] = position(last) }, newText = text }
  vim.lsp.util.apply_text_edits({ edit }, buf, enc)
  local end_row, end_col = end_of(row, col, text)
  api.nvim_win_set_cursor(0, { end_row + 1, end_col })
  return client
end

--- Accepts the start of the suggestion: `part` of it, or all of it if `part` is all there is.
local function accept_part(part)
  if not shown or not part or part == '' then
    return false
  end
  if #part >= #shown.text then
    return M.accept()
  end
  local rest = shown.text:sub(#part + 1)
  if not insert(part, false) then
    stop()
    return false
  end
  shown.row, shown.col = end_of(shown.row, shown.col, part)
  shown.text = rest
  render()
  return true
end

function M.visible()
  return shown ~= nil
end

--- Accepts the whole suggestion and reports the acceptance to the server.
function M.accept()
  if not shown then
    return false
  end
  local client = insert(shown.text, true)
  local command, buf = shown.command, shown.buf
  hide()
  if not client then
    return false
  end
  if command then
    local params = { command = command.command, arguments = command.arguments }
    call(client, 'request', 'workspace/executeCommand', params, function() end, buf)
  end
  return true
end

--- Accepts the suggestion up to the end of its next word.
function M.accept_word()
  local text = shown and shown.text or ''
  return accept_part(text:match('^%s*[%w_]+') or text:match('^%s*[^%w_%s]+'))
end

--- Accepts the rest of the suggestion's current line, or its next line.
function M.accept_line()
  local text = shown and shown.text or ''
  return accept_part(text:match('^[^\n]+') or text:match('^\n[^\n]*'))
end

function M.dismiss()
  if not shown then
    return false
  end
  stop()
  return true
end

--- Client capabilities declaring inline completion, for vim.lsp.config: with them ghostls
--- knows this client shows ghost text and does not also offer it as a completion item.
function M.capabilities()
  return { textDocument = { inlineCompletion = { dynamicRegistration = false } } }
end

local function map(lhs, action, desc)
  util.map('i', lhs, action, desc)
end

function M.setup(opts)
  config = vim.tbl_deep_extend('force', defaults, opts or {})
  local function highlight()
    api.nvim_set_hl(0, 'GhostlsSuggestion', { link = 'Comment', default = true })
  end
  highlight()
  local group = api.nvim_create_augroup('ghostls', { clear = true })
  api.nvim_create_autocmd('ColorScheme', { group = group, callback = highlight })
  api.nvim_create_autocmd({ 'InsertEnter', 'TextChangedI', 'TextChangedP', 'CursorMovedI' }, {
    group = group,
    callback = on_change,
  })
  api.nvim_create_autocmd({ 'InsertLeave', 'BufLeave' }, { group = group, callback = stop })
  map(config.keys.accept, M.accept, 'ghostls: accept the suggestion')
  map(config.keys.accept_word, M.accept_word, 'ghostls: accept a word of the suggestion')
  map(config.keys.accept_line, M.accept_line, 'ghostls: accept a line of the suggestion')
  map(config.keys.dismiss, M.dismiss, 'ghostls: dismiss the suggestion')
end

return M
