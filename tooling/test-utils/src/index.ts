export { expectClose, expectMatrixClose, maxAbsDiff, relativeFrobeniusError, type MatrixLike, type Tolerance } from './close';
export { loadFixture } from './fixtures';
export { countdownSignal } from './countdown-signal';
export { parseXmlElements, type XmlElement } from './xml-well-formed';
export { CHROMIUM, inspectPage, launchChromium, type PageReport } from './browser-checks';
export { serveDirectory, type StaticServer } from './static-server';
export { openBundlePage, type BundlePage, type BundlePageOptions } from './bundle-page';
