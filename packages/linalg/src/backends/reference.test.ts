import { referenceBackend } from './reference';
import { describeBackendConformance } from '../testing/backend-conformance';

describeBackendConformance(referenceBackend);
