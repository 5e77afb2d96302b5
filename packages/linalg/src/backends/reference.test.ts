import { referenceBackend } from './reference';
import { describeBackendConformance } from './conformance';

describeBackendConformance(referenceBackend);
