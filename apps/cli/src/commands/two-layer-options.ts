/**
 * The names and defaults of the two-layer flags of `train` and `eval` (`--model two-layer`). A
 * leaf module (it imports no command), so that the flag tables of `train.ts` and `eval.ts` can use
 * them while those files and `two-layer-setup.ts` import each other's functions.
 *
 * @packageDocumentation
 */
import type { Activation, Parameterization } from '@shallowscape/model';

/** The models `train` and `eval` know: the quadratic ones and `two-layer`. */
export const NETWORK_MODELS = ['quadratic', 'signed-quadratic', 'two-layer'] as const;
/** A name among {@link NETWORK_MODELS}. */
export type NetworkModelName = (typeof NETWORK_MODELS)[number];

/** The activations of `--activation` (those of `@shallowscape/model`). */
export const ACTIVATION_NAMES = ['relu', 'quadratic', 'tanh', 'erf', 'softplus', 'sigmoid'] as const satisfies readonly Activation[];
/** The parameterisations of `--parameterization`: $s = 1/\sqrt m$, $1/m$, $1$. */
export const PARAMETERIZATION_NAMES = ['ntk', 'mean-field', 'standard'] as const satisfies readonly Parameterization[];
/** The layers `--freeze` can hold fixed. */
export const FREEZE_CHOICES = ['hidden', 'output'] as const;
/** A layer `--freeze` can hold fixed. */
export type FreezeChoice = (typeof FREEZE_CHOICES)[number];

/** Default student width of `--model two-layer`. */
export const DEFAULT_TWO_LAYER_WIDTH = 100;
/** Default number of samples of `--model two-layer`. */
export const DEFAULT_TWO_LAYER_SAMPLES = 100;
