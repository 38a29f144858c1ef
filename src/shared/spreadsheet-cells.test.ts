import { describe, expect, it } from 'vitest';
import { quoteCell, unquoteCell } from './spreadsheet-cells';

describe('spreadsheet cells', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ["'=already quoted", "''=already quoted"],
    ["''", "'''"],
    ["'tis plain", "'tis plain"],
    ["'", "'"],
    ['plain = text', 'plain = text'],
    ['', ''],
  ])('writes %j as %j and reads it back', (value, cell) => {
    expect({ cell: quoteCell(value), back: unquoteCell(quoteCell(value)) }).toEqual({ cell, back: value });
  });
});
