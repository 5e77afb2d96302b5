/**
 * The command registry: every `shallowscape` subcommand, in the order `--help` lists them.
 * To add a command, write `src/commands/<name>.ts` exporting a {@link defineCommand} result
 * and add it here.
 *
 * @packageDocumentation
 */
import type { Command } from '../command';
import { certifyCommand } from './certify';
import { evalCommand } from './eval';
import { linalgInfoCommand } from './linalg-info';
import { reproduceCommand } from './reproduce';
import { resultsCommand } from './results';
import { spectrumCommand } from './spectrum';
import { sweepCommand } from './sweep';
import { trainCommand } from './train';

/** All commands, as listed by `shallowscape --help`. */
export const commands: readonly Command[] = [reproduceCommand, trainCommand, evalCommand, certifyCommand, spectrumCommand, sweepCommand, resultsCommand, linalgInfoCommand];
