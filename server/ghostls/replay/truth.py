"""The text the programmer means to write, and how far they have got.

The document on screen is always `text[:pos] + text[end:]`: the file with the part of the
region not typed yet left out. Typing moves `pos` along the truth; accepting a suggestion
inserts its text, which from then on is part of the truth (when it differs from what the
file said, the truth is rewritten around it, line for line).
"""

from __future__ import annotations

from dataclasses import dataclass

from ghostls.replay.corpus import Region


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the line holding offset `pos` (end: its newline or the text's end)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


@dataclass
class Truth:
    path: str
    text: str
    start: int  # where the typing started
    end: int  # where it stops: the newline ending the region's last line
    pos: int  # the cursor

    @classmethod
    def of(cls, region: Region) -> Truth:
        start, end = region.offsets()
        return cls(region.path, region.text, start, end, start)

    @property
    def done(self) -> bool:
        return self.pos >= self.end

    def document(self) -> str:
        """The document's text now."""
        return self.text[: self.pos] + self.text[self.end :]

    def wanted(self) -> str:
        """What the programmer is about to type on this line: the rest of the true line."""
        _, line_end = line_bounds(self.text, self.pos)
        return self.text[self.pos : min(line_end, self.end)]

    def next_key(self) -> str:
        """The next keystroke's text: a character, or Enter with the next line's indentation
        (the editor's auto-indent)."""
        if self.text[self.pos] != "\n":
            return self.text[self.pos]
        stop = self.pos + 1
        while stop < self.end and self.text[stop] in " \t":
            stop += 1
        return self.text[self.pos : stop]

    def typed(self, keys: str) -> None:
        if self.text[self.pos : self.pos + len(keys)] != keys:
            raise ValueError(f"typed {keys!r}, expected {self.text[self.pos : self.pos + 8]!r}")
        self.pos += len(keys)

    def accept(self, inserted: str) -> int:
        """Insert an accepted suggestion at the cursor; returns how many of its characters
        were what the file said."""
        if self.text.startswith(inserted, self.pos) and self.pos + len(inserted) <= self.end:
            self.pos += len(inserted)
            return len(inserted)
        matched = 0
        limit = min(len(inserted), self.end - self.pos)
        while matched < limit and inserted[matched] == self.text[self.pos + matched]:
            matched += 1
        # The truth's span the insertion stands for: as many lines, and as much of the last.
        newlines = inserted.count("\n")
        cursor = self.pos
        for _ in range(newlines):
            found = self.text.find("\n", cursor, self.end)
            if found < 0:
                cursor = self.end
                break
            cursor = found + 1
        else:
            last = inserted[inserted.rfind("\n") + 1 :]
            _, line_end = line_bounds(self.text, cursor)
            cursor = min(cursor + len(last), line_end, self.end)
        replaced = cursor - self.pos
        self.text = self.text[: self.pos] + inserted + self.text[cursor:]
        self.end += len(inserted) - replaced
        self.pos += len(inserted)
        self.end = max(self.end, self.pos)
        return matched
