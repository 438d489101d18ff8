export { default } from './payoneer.connector';
