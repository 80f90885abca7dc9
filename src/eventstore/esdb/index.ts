export { openEsdbEventStore } from './esdbEventStore';
