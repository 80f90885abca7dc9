export { openMongoReadStore } from './mongoReadStore';
