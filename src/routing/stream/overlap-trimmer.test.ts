import { describe, expect, it } from 'vitest';
import { OverlapTrimmer } from './overlap-trimmer.js';

function run(partial: string, pieces: string[]): string {
  const trimmer = new OverlapTrimmer(partial);
  return pieces.map((p) => trimmer.push(p)).join('') + trimmer.flush();
}

describe('OverlapTrimmer', () => {
  it.each([
    ['a true continuation passes through', 'Hello wor', ['ld, ', 'how are you?'], 'ld, how are you?'],
    ['a restart is trimmed to what is new', 'Hello wor', ['Hel', 'lo world', ', how'], 'ld, how'],
    ['a restart in one piece', 'Hello wor', ['Hello world!'], 'ld!'],
    ['diverging early releases what was held', 'Hello wor', ['He', 'y there'], 'Hey there'],
    ['an empty partial trims nothing', '', ['abc'], 'abc'],
    ['an exact repeat and nothing more', 'abc', ['abc'], ''],
    ['a repeat that stops short is dropped', 'abcdef', ['abc'], ''],
  ])('%s', (_name, partial, pieces, expected) => {
    expect(run(partial, pieces)).toBe(expected);
  });
});
