/**
 * The backend the certificates hand to code that takes one (internal, not exported).
 *
 * @packageDocumentation
 */
import { getBackend, referenceBackend, type LinalgBackend } from '@shallowscape/linalg';

/**
 * The default backend when it computes in float64, else the reference backend: certificates are
 * float64 only, so a float32 default (opt-in, for training speed) is never used here.
 */
export function certificateBackend(): LinalgBackend {
  const current = getBackend();
  return current.precision === 'float64' ? current : referenceBackend;
}
