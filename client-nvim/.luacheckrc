-- luacheck settings for the Neovim module and the Neovim configuration snippets.
std = 'luajit'
read_globals = { 'vim' }
max_line_length = 100
